/* index-PGx3RFVeh5.js */
