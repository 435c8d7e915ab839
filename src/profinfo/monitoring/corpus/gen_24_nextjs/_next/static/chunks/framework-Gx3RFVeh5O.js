/* framework-Gx3RFVeh5O.js */
