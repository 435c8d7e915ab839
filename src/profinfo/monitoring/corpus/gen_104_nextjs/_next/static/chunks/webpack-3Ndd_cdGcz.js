/* webpack-3Ndd_cdGcz.js */
