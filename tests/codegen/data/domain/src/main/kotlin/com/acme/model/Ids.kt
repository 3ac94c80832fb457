package com.acme.model

/** A user's id as the API spells it. */
typealias UserId = String

/** A stock-keeping unit. */
@JvmInline
value class Sku(val value: String)
