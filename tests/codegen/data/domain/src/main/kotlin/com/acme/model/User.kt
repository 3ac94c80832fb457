package com.acme.model

import kotlinx.serialization.Serializable

/** A user as the app shows it. */
@Serializable
data class User(
    val id: UserId,
    val name: String,
    /** The account behind it, as the database keeps it. */
    val account: com.acme.data.User? = null,
)
