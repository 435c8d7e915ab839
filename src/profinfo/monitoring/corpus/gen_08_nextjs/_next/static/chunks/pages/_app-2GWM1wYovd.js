/* _app-2GWM1wYovd.js */
