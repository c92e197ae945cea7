// supportal's browser store: the IndexedDB database "supportal" that holds
// the outbox (tickets and replies waiting to be sent), the files attached
// to them while offline (as the browser's File objects), the drafts of
// tickets and replies being written, and what the app keeps to open
// offline (the session, the catalog, the last lists and tickets). The app (app/state,
// browserdb_js.go) calls it through self.supportalStore; every call returns
// a Promise. Nothing here ever goes to the service worker's Cache Storage.
(function () {
  "use strict";
  const NAME = "supportal";
  const VERSION = 3;
  const STORES = ["outbox", "cache", "files", "drafts"];
  let opening = null;

  function open() {
    if (opening) {
      return opening;
    }
    opening = new Promise(function (resolve, reject) {
      if (!self.indexedDB) {
        reject(new Error("IndexedDB unavailable"));
        return;
      }
      let req;
      try {
        req = self.indexedDB.open(NAME, VERSION);
      } catch (err) {
        reject(err); // a sandboxed frame, a browser's private mode
        return;
      }
      req.onupgradeneeded = function () {
        const db = req.result;
        for (const s of STORES) {
          if (!db.objectStoreNames.contains(s)) {
            db.createObjectStore(s);
          }
        }
      };
      req.onsuccess = function () {
        const db = req.result;
        db.onversionchange = function () {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = function () {
        reject(req.error);
      };
      req.onblocked = function () {
        reject(new Error("IndexedDB blocked"));
      };
    });
    opening.catch(function () {
      opening = null; // try again next time
    });
    return opening;
  }

  // run runs fn on the object stores names in one transaction and, once
  // the transaction has committed, resolves with what the function fn
  // returns gives (fn returns nothing for writes).
  function run(names, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        let tx;
        try {
          tx = db.transaction(names, mode);
        } catch (err) {
          reject(err);
          return;
        }
        const result = fn(tx);
        tx.oncomplete = function () {
          resolve(result ? result() : undefined);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
        tx.onabort = function () {
          reject(tx.error || new Error("aborted"));
        };
      });
    });
  }

  self.supportalStore = {
    // available resolves when the database can be opened.
    available: function () {
      return open().then(function () {
        return true;
      });
    },
    get: function (store, key) {
      return run([store], "readonly", function (tx) {
        const req = tx.objectStore(store).get(key);
        return function () {
          return req.result;
        };
      });
    },
    // entries resolves with [[key, value], …] of the keys starting with prefix.
    entries: function (store, prefix) {
      const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      return run([store], "readonly", function (tx) {
        const s = tx.objectStore(store);
        const keys = s.getAllKeys(range);
        const values = s.getAll(range);
        return function () {
          return keys.result.map(function (k, i) {
            return [k, values.result[i]];
          });
        };
      });
    },
    // size resolves with the bytes of the Blobs kept under prefix.
    size: function (store, prefix) {
      const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      return run([store], "readonly", function (tx) {
        const values = tx.objectStore(store).getAll(range);
        return function () {
          return values.result.reduce(function (n, v) {
            return n + (v && v.size ? v.size : 0);
          }, 0);
        };
      });
    },
    put: function (store, key, value) {
      return run([store], "readwrite", function (tx) {
        tx.objectStore(store).put(value, key);
      });
    },
    del: function (store, key) {
      return run([store], "readwrite", function (tx) {
        tx.objectStore(store).delete(key);
      });
    },
    // clear deletes every key starting with prefix in every store.
    clear: function (prefix) {
      const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      return run(STORES, "readwrite", function (tx) {
        for (const s of STORES) {
          tx.objectStore(s).delete(range);
        }
      });
    },
    // exclusive runs fn (returning a Promise) while this tab holds the lock
    // name, and resolves true; false when another tab holds it. Browsers
    // without Web Locks run fn at once.
    exclusive: function (name, fn) {
      if (!self.navigator.locks) {
        return Promise.resolve(fn()).then(function () {
          return true;
        });
      }
      return self.navigator.locks.request(name, { ifAvailable: true }, function (lock) {
        if (!lock) {
          return false;
        }
        return Promise.resolve(fn()).then(function () {
          return true;
        });
      });
    },
  };

  // Opened at once, while app.wasm loads: the app's first call (its drafts,
  // as the session loads) does not wait for the database to open.
  open().catch(function () {});
})();
