"use client";

import { useChat } from "ai/react";

export function Chat() {
  const { messages, input, handleInputChange, handleSubmit } = useChat({ api: "/api/chat" });
  return (
    <form onSubmit={handleSubmit}>
      {messages.map((m) => (
        <p key={m.id}>
          <b>{m.role}:</b> {m.content}
        </p>
      ))}
      <input value={input} onChange={handleInputChange} placeholder="Ask support" />
    </form>
  );
}
