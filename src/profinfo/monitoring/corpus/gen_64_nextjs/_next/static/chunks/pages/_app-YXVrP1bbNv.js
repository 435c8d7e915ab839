/* _app-YXVrP1bbNv.js */
