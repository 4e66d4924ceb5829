/** Puts any chat model (the offline one, a test double, a provider model) behind a session's token budget. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ManagedChatModel } from './managed-chat-model.js';
import type { TokenBudget } from './token-budget.js';

/** The model with `budget` reserved before and recorded after every call, including calls after `bindTools`. */
export function budgetedModel(model: BaseChatModel, budget: TokenBudget): ManagedChatModel {
  if (model instanceof ManagedChatModel) return model.withBudget(budget);
  return new ManagedChatModel({ standard: model, budget, tier: 'standard' });
}
