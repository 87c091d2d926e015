import { Agent } from '@openai/agents-core';
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { Client } from '@modelcontextprotocol/client';

export const triage = new Agent({ name: 'Triage', instructions: 'Route the caller.' });

export function startSession(apiKey: string, tools: Client): RealtimeSession {
  const agent = new RealtimeAgent({ name: 'Voice', instructions: 'Help the caller.' });
  void tools;
  return new RealtimeSession(agent, { model: 'gpt-realtime', apiKey });
}
