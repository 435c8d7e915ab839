/* index-LRCIe2GWM1.js */
