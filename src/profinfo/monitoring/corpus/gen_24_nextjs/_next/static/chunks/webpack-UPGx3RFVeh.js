/* webpack-UPGx3RFVeh.js */
