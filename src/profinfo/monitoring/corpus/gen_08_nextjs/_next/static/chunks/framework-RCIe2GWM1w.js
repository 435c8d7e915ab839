/* framework-RCIe2GWM1w.js */
