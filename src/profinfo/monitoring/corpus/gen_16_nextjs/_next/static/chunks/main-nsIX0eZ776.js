/* main-nsIX0eZ776.js */
