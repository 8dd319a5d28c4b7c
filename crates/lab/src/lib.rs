//! Experiments that reproduce the guide (issue 5), with reports and figures.
