#!/usr/bin/env python3
"""Writes Fixtures/sample-export.zip: a small, deterministic Spotify privacy export.

It has the shapes of a real export: Extended streaming history (Streaming_History_Audio_*.json,
a video file, the PDF read-me) and Account data (StreamingHistory_music_*, _podcast_, _audiobook_,
Userdata.json, YourLibrary.json). About 3,000 plays over two years by a handful of artists
(with non-ASCII names), podcasts, an audiobook, URI-less local files, rows with nothing
identifiable, verbatim duplicates, and account rows that repeat extended plays of the last year.

    python3 Fixtures/make_sample_export.py   # rewrites Fixtures/sample-export.zip
"""
import datetime as dt, json, pathlib, random, zipfile, zlib

OUT = pathlib.Path(__file__).resolve().parent / "sample-export.zip"
ARTISTS = {
    "Björk": ["Jóga", "Hyperballad", "Army of Me", "Hunter"],
    "Sigur Rós": ["Hoppípolla", "Glósóli", "Svefn-g-englar"],
    "Radiohead": ["Reckoner", "Nude", "Weird Fishes/Arpeggi", "Videotape", "House of Cards"],
    "坂本龍一": ["Merry Christmas Mr. Lawrence", "Energy Flow"],
    "AC/DC": ["Thunderstruck", "Back in Black"],
    "Beyoncé": ["Halo", "Formation"],
}
ALBUMS = {"Björk": "Homogenic", "Sigur Rós": "Takk...", "Radiohead": "In Rainbows", "坂本龍一": "Coda",
          "AC/DC": "The Razors Edge", "Beyoncé": "I Am... Sasha Fierce"}
WEIGHTS = {"Radiohead": 40, "Björk": 25, "Sigur Rós": 15, "坂本龍一": 10, "AC/DC": 6, "Beyoncé": 4}


def track_uri(rng_seed):
    rng = random.Random(rng_seed)
    return "spotify:track:" + "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(22))


def main():
    rng = random.Random(7)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    t = start
    extended, account_music, account_podcast, account_audiobook = [], [], [], []
    artists = list(WEIGHTS)
    for i in range(3000):
        t += dt.timedelta(seconds=rng.randint(120, 30000))
        roll = rng.random()
        row = {"ts": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "username": "sample_listener", "platform": rng.choice(["android", "ios", "linux"]),
               "ms_played": 0, "conn_country": rng.choice(["GB", "IS", "JP"]), "ip_addr": "192.0.2.%d" % rng.randrange(1, 255),
               "master_metadata_track_name": None, "master_metadata_album_artist_name": None,
               "master_metadata_album_album_name": None, "spotify_track_uri": None, "episode_name": None,
               "episode_show_name": None, "spotify_episode_uri": None, "audiobook_title": None, "audiobook_uri": None,
               "audiobook_chapter_uri": None, "audiobook_chapter_title": None,
               "reason_start": rng.choice(["trackdone", "clickrow", "fwdbtn"]), "reason_end": rng.choice(["trackdone", "fwdbtn", "endplay"]),
               "shuffle": rng.random() < 0.3, "skipped": rng.random() < 0.15, "offline": False,
               "offline_timestamp": int(t.timestamp()), "incognito_mode": False}
        if roll < 0.05:
            episode = rng.randrange(8)
            row.update(episode_name=f"Episode {episode}", episode_show_name="The Listening Hour",
                       spotify_episode_uri=track_uri(1000 + episode).replace("track", "episode"), ms_played=rng.randint(60_000, 1_800_000))
        elif roll < 0.06:
            chapter = rng.randrange(5)
            row.update(audiobook_title="A Sample Audiobook", audiobook_uri="spotify:show:sampleaudiobook0000000",
                       audiobook_chapter_uri=track_uri(2000 + chapter).replace("track", "episode"),
                       audiobook_chapter_title=f"Chapter {chapter + 1}", ms_played=rng.randint(60_000, 900_000))
        elif roll < 0.065:
            row["ms_played"] = rng.randint(0, 3000)  # nothing identifiable, as in real exports
        else:
            artist = rng.choices(artists, weights=[WEIGHTS[a] for a in artists])[0]
            song = rng.choice(ARTISTS[artist])
            local = artist == "AC/DC"  # a local file: names but no URI
            row.update(master_metadata_track_name=song, master_metadata_album_artist_name=artist,
                       master_metadata_album_album_name=ALBUMS[artist],
                       spotify_track_uri=None if local else track_uri(zlib.crc32(f"{artist}|{song}".encode())),
                       ms_played=rng.randint(20_000, 300_000))
        extended.append(row)
        if rng.random() < 0.003:
            extended.append(dict(row))  # a verbatim duplicate
        # Account data covers the last year and repeats what extended history has.
        if t >= start + dt.timedelta(days=365) and row["ms_played"] > 0:
            minute = t.strftime("%Y-%m-%d %H:%M")
            if row["master_metadata_track_name"]:
                account_music.append({"endTime": minute, "artistName": row["master_metadata_album_artist_name"],
                                      "trackName": row["master_metadata_track_name"], "msPlayed": row["ms_played"]})
            elif row["episode_name"]:
                account_podcast.append({"endTime": minute, "podcastName": row["episode_show_name"],
                                        "episodeName": row["episode_name"], "msPlayed": row["ms_played"]})
            elif row["audiobook_title"]:
                account_audiobook.append({"endTime": minute, "audiobookName": row["audiobook_title"],
                                          "chapterName": row["audiobook_chapter_title"], "authorName": "A. Writer",
                                          "msPlayed": row["ms_played"]})
    # Account-only plays: listened to in a minute extended history has nothing for.
    for k in range(40):
        minute = (start + dt.timedelta(days=400 + k, hours=3)).strftime("%Y-%m-%d %H:%M")
        account_music.append({"endTime": minute, "artistName": "Björk", "trackName": "Jóga", "msPlayed": 200_000 + k})
    account_music.sort(key=lambda r: r["endTime"])
    half = len(extended) // 2
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as archive:
        class Fixed:  # entries get a fixed date, so the file is byte-for-byte reproducible
            @staticmethod
            def writestr(name, data):
                archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 6, 5, 0, 0, 0)), data,
                                 compress_type=zipfile.ZIP_DEFLATED)
        z = Fixed
        ext = "Spotify Extended Streaming History/"
        z.writestr(ext + "Streaming_History_Audio_2024_0.json", json.dumps(extended[:half], ensure_ascii=False, indent=2))
        z.writestr(ext + "Streaming_History_Audio_2024-2025_1.json", json.dumps(extended[half:], ensure_ascii=False, indent=2))
        z.writestr(ext + "Streaming_History_Video_2024.json", "[]")
        z.writestr(ext + "ReadMeFirst_ExtendedStreamingHistory.pdf", b"%PDF-1.4 sample")
        acc = "Spotify Account Data/"
        z.writestr(acc + "StreamingHistory_music_0.json", json.dumps(account_music, ensure_ascii=False, indent=2))
        z.writestr(acc + "StreamingHistory_podcast_0.json", json.dumps(account_podcast, ensure_ascii=False, indent=2))
        z.writestr(acc + "StreamingHistory_audiobook_0.json", json.dumps(account_audiobook, ensure_ascii=False, indent=2))
        z.writestr(acc + "Userdata.json", json.dumps({"username": "sample_listener", "country": "GB"}))
        z.writestr(acc + "YourLibrary.json", json.dumps({"tracks": []}))
    print(f"{OUT}: {len(extended)} extended, {len(account_music)} music, {len(account_podcast)} podcast, "
          f"{len(account_audiobook)} audiobook rows")


if __name__ == "__main__":
    main()
