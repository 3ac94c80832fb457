package com.acme.data

import androidx.room.ColumnInfo
import androidx.room.Entity
import androidx.room.PrimaryKey
import javax.inject.Inject

/** A user as the database keeps it. */
@Entity(tableName = "users")
data class UserEntity(
    @PrimaryKey val id: String,
    @ColumnInfo(name = "display_name") val displayName: String,
    val holidays: List<com.acme.network.Holiday> = emptyList(),
    val account: User? = null,
)

/** Reads and writes users. */
class UserRepository @Inject constructor(private val api: String) {
    fun load(): UserEntity? = null
}
