/* _app-FVeh5O45le.js */
