package com.acme.catalog

import java.time.LocalTime
import kotlin.time.Duration
import kotlinx.datetime.LocalDateTime
import kotlinx.serialization.Serializable

/** When a shop is open. */
@Serializable
data class OpeningHours(
    val opensAt: LocalTime,
    val closesAt: LocalTime,
    /** Local to the shop: no zone. */
    val lastChange: LocalDateTime? = null,
    val slotLength: Duration,
)
