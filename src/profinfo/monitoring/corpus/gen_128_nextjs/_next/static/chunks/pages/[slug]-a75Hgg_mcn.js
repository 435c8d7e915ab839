/* [slug]-a75Hgg_mcn.js */
