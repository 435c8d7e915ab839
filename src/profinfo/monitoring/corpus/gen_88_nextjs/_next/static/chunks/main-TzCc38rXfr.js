/* main-TzCc38rXfr.js */
