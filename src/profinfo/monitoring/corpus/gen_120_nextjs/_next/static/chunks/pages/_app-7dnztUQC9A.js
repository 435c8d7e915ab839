/* _app-7dnztUQC9A.js */
