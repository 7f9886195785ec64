module.exports = require('./native.js')
