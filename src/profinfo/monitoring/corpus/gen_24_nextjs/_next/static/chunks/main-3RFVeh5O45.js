/* main-3RFVeh5O45.js */
