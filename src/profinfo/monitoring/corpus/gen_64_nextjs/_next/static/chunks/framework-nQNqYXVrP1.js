/* framework-nQNqYXVrP1.js */
