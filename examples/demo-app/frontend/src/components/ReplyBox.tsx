"use client";

import { useChat } from "ai/react";

export function ReplyBox() {
  const { messages, input, handleInputChange, handleSubmit } = useChat({ api: "/api/chat" });
  return (
    <form onSubmit={handleSubmit}>
      {messages.map((m) => (
        <p key={m.id}>{m.content}</p>
      ))}
      <input value={input} onChange={handleInputChange} placeholder="Draft a reply" />
    </form>
  );
}
