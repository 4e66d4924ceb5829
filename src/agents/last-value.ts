/** A workflow state field that holds the last value written to it, cheaply restored from the store. */
import { Annotation } from '@langchain/langgraph';

/**
 * LangGraph's plain LastValue channel, deliberately not a `(_, next) => next` reducer: a reducer
 * channel whose value is undefined is missing from the stored checkpoint, and LangGraph rebuilds
 * such a channel on every state load by reading back through every earlier checkpoint of the
 * thread (one store query each, growing with the conversation). A LastValue channel missing from
 * a checkpoint is simply empty, which reads as undefined. Graph nodes here run one at a time, so
 * the LastValue rule of one write per step always holds.
 */
export const lastValue = <T>() => Annotation<T>();
