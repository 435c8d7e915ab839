/* _app-1bg-AcOzBp.js */
