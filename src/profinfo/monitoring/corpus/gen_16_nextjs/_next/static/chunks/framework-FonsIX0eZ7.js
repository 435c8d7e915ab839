/* framework-FonsIX0eZ7.js */
