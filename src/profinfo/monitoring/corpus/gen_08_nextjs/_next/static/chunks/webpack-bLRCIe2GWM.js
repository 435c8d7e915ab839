/* webpack-bLRCIe2GWM.js */
