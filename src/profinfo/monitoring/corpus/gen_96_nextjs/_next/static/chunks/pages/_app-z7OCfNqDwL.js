/* _app-z7OCfNqDwL.js */
