/* framework-dd_cdGcz_5.js */
