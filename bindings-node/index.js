'use strict'
// The native addon (addon.js loads it) exports every function of
// rollgate::ffi::FUNCTIONS, registered when it loads. They are named here
// so that ESM `import { orderServices } from 'rollgate'` finds them (Node's
// cjs-module-lexer reads these assignments); __test__/exports.test.js
// checks that this list and the addon's agree. Only these functions are
// exported (tests/package/node_smoke.js checks the installed package's names).
const native = require('./addon.js')
module.exports.orderServices = native.orderServices
module.exports.blastRadius = native.blastRadius
module.exports.scheduleServices = native.scheduleServices
module.exports.checkWindow = native.checkWindow
module.exports.nextWindow = native.nextWindow
module.exports.scheduleRollout = native.scheduleRollout
module.exports.rollbackPlan = native.rollbackPlan
module.exports.toMermaidGantt = native.toMermaidGantt
module.exports.judgeCanary = native.judgeCanary
module.exports.startCanaryWatch = native.startCanaryWatch
module.exports.updateCanaryWatch = native.updateCanaryWatch
module.exports.mannWhitney = native.mannWhitney
module.exports.welchTTest = native.welchTTest
module.exports.ksTest = native.ksTest
module.exports.compareProportions = native.compareProportions
module.exports.compareRates = native.compareRates
module.exports.quantileCi = native.quantileCi
module.exports.compareQuantiles = native.compareQuantiles
module.exports.adjustPValues = native.adjustPValues
module.exports.sequentialCountTest = native.sequentialCountTest
module.exports.assessRisk = native.assessRisk
module.exports.defaultRiskModel = native.defaultRiskModel
module.exports.fitRiskModel = native.fitRiskModel
module.exports.updateRiskModel = native.updateRiskModel
module.exports.evaluateRiskModel = native.evaluateRiskModel
module.exports.recommendStrategy = native.recommendStrategy
module.exports.evaluateGovernance = native.evaluateGovernance
module.exports.appendChangeRecord = native.appendChangeRecord
module.exports.verifyChangeLog = native.verifyChangeLog
module.exports.startRelease = native.startRelease
module.exports.advanceRelease = native.advanceRelease
module.exports.renderNotification = native.renderNotification
module.exports.evaluateReleaseReadiness = native.evaluateReleaseReadiness
module.exports.checkParity = native.checkParity
module.exports.checkPromotion = native.checkPromotion
module.exports.planMigrations = native.planMigrations
module.exports.evaluateAccess = native.evaluateAccess
module.exports.teardownCandidates = native.teardownCandidates
module.exports.isolationPlan = native.isolationPlan
module.exports.doraMetrics = native.doraMetrics
module.exports.assessMaturity = native.assessMaturity
module.exports.flagBucket = native.flagBucket
module.exports.flagEnabled = native.flagEnabled
module.exports.flagExposure = native.flagExposure
