// What test/support/globalSetup.cjs sets for every project, minus DynamoDB Local (the unit
// project never needs it): Powertools logs errors only, through the console, and no EMF lines.
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL || 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
