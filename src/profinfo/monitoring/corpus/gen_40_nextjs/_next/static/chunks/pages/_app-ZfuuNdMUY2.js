/* _app-ZfuuNdMUY2.js */
