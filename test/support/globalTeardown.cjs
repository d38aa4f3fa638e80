'use strict';
module.exports = async () => {
  if (globalThis.__DYNAMODB_LOCAL__) await globalThis.__DYNAMODB_LOCAL__.stop();
};
