/* [slug]-LRCIe2GWM1.js */
