/* webpack-wa75Hgg_mc.js */
