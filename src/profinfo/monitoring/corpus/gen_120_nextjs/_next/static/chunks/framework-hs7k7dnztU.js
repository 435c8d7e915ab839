/* framework-hs7k7dnztU.js */
