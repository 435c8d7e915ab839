/* _app-Cc38rXfr9M.js */
