/**
 * `cloudflare:test` (and `durasim/test`) under Jest: the environment's copy of the module, every
 * name listed (see workers.cts).
 */
import shared = require("./host.cjs");

const test = shared.needed().modules.test;
const env = test.env;
const SELF = test.SELF;
const runInDurableObject = test.runInDurableObject;
const runDurableObjectAlarm = test.runDurableObjectAlarm;
const listDurableObjectIds = test.listDurableObjectIds;
const evictDurableObject = test.evictDurableObject;
const evictAllDurableObjects = test.evictAllDurableObjects;
const abortAllDurableObjects = test.abortAllDurableObjects;
const reset = test.reset;
const createExecutionContext = test.createExecutionContext;
const waitOnExecutionContext = test.waitOnExecutionContext;
const createScheduledController = test.createScheduledController;
const createMessageBatch = test.createMessageBatch;
const getQueueResult = test.getQueueResult;
const ExecutionContext = test.ExecutionContext;
const ScheduledController = test.ScheduledController;
const MessageBatch = test.MessageBatch;
const useEmulator = test.useEmulator;
const usage = test.usage;
const resetUsage = test.resetUsage;
const usageMatchers = test.usageMatchers;
const applyD1Migrations = test.applyD1Migrations;
const introspectWorkflow = test.introspectWorkflow;
const introspectWorkflowInstance = test.introspectWorkflowInstance;
const createPagesEventContext = test.createPagesEventContext;
const adminSecretsStore = test.adminSecretsStore;
const fetchMock = test.fetchMock;

export = { env, SELF, runInDurableObject, runDurableObjectAlarm, listDurableObjectIds, evictDurableObject, evictAllDurableObjects, abortAllDurableObjects, reset, createExecutionContext, waitOnExecutionContext, createScheduledController, createMessageBatch, getQueueResult, ExecutionContext, ScheduledController, MessageBatch, useEmulator, usage, resetUsage, usageMatchers, applyD1Migrations, introspectWorkflow, introspectWorkflowInstance, createPagesEventContext, adminSecretsStore, fetchMock };
