/* [slug]-PGx3RFVeh5.js */
