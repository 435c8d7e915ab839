/* [slug]-snQNqYXVrP.js */
