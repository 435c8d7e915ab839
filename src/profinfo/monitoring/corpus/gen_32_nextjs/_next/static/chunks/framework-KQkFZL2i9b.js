/* framework-KQkFZL2i9b.js */
