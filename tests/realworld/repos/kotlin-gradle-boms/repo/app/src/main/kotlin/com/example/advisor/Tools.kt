package com.example.advisor

import io.modelcontextprotocol.kotlin.sdk.Implementation
import io.modelcontextprotocol.kotlin.sdk.client.Client

fun toolClient(): Client = Client(clientInfo = Implementation(name = "advisor", version = "1.0"))
