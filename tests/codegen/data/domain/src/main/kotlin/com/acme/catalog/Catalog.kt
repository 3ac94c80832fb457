package com.acme.catalog

import com.acme.model.Sku
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import kotlinx.serialization.Transient

/** A colour a product comes in. */
@Serializable
enum class Color(val rgb: Int, val label: String) {
    @SerialName("red") RED(0xFF0000, "Red"),
    @SerialName("green") GREEN(0x00FF00, "Green"),
    BLUE(0x0000FF, "Blue");

    fun hex(): String = "#%06x".format(rgb)
}

/** Something the shop sells. */
@Serializable
data class Product internal constructor(
    val sku: Sku,
    /** What the customer sees. */
    val name: String,
    val colors: List<Color> = emptyList(),
    val tags: Set<String> = setOf("new"),
    val attributes: Map<String, String> = emptyMap(),
    val dimensions: Dimensions? = null,
    @Transient val cached: Boolean = false,
) {
    val title: String
        get() = name.uppercase()

    /** Outer size, in millimetres. */
    @Serializable
    data class Dimensions(val widthMm: Int, val heightMm: Int, val depthMm: Int = 0)
}
