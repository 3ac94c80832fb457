package com.acme.data

import kotlinx.serialization.Serializable

/** A user's account row. */
@Serializable
data class User(val id: String, val email: String)
