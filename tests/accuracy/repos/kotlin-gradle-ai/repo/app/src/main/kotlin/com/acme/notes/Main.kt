package com.acme.notes

import com.aallam.openai.client.OpenAI
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty

fun main() {
    val openAI = OpenAI(token = System.getenv("OPENAI_API_KEY"))
    val summaries = Summaries(openAI)
    embeddedServer(Netty, port = 8080) { routes(summaries) }.start(wait = true)
}
