/* index-snQNqYXVrP.js */
