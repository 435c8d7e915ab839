/* framework-seTzCc38rX.js */
