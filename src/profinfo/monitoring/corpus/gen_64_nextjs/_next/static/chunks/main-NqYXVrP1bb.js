/* main-NqYXVrP1bb.js */
