/* main-_cdGcz_5pl.js */
