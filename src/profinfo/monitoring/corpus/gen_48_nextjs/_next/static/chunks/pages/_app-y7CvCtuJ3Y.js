/* _app-y7CvCtuJ3Y.js */
