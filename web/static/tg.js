/* The part of Telegram's Mini App script (telegram-web-app.js) the case desk uses, written
   here so that nothing is loaded from outside this server: the launch data and theme from the
   URL fragment (#tgWebAppData=…&tgWebAppThemeParams=…), kept for the session as Telegram's
   script keeps them, and the few events the desk sends (ready, expand, back button, file
   download) or receives (theme changed, back button pressed). It fills in
   window.Telegram.WebApp with the same names as Telegram's script, unless that script is
   already there. */
(function () {
  'use strict';
  var KEY = 'pctby.tgWebApp';
  var tg = (window.Telegram = window.Telegram || {});
  if (tg.WebApp) return;

  function fragment() {
    var found = {};
    var hash = window.location.hash.replace(/^#/, '');
    if (hash.indexOf('tgWebApp') < 0) return found;
    new URLSearchParams(hash).forEach(function (value, key) {
      found[key] = value;
    });
    return found;
  }

  var params = fragment();
  try {
    if (params.tgWebAppData || params.tgWebAppVersion) {
      window.sessionStorage.setItem(KEY, JSON.stringify(params));
    } else {
      params = JSON.parse(window.sessionStorage.getItem(KEY) || '{}') || {};
    }
  } catch (e) {
    /* storage refused (private mode): the fragment read above is all there is */
  }

  function json(text) {
    try {
      var value = JSON.parse(text || '{}');
      return value && typeof value === 'object' ? value : {};
    } catch (e) {
      return {};
    }
  }

  var initData = params.tgWebAppData || '';
  var unsafe = {};
  if (initData) {
    new URLSearchParams(initData).forEach(function (value, key) {
      unsafe[key] = key === 'user' || key === 'chat' || key === 'receiver' ? json(value) : value;
    });
  }
  var handlers = {};
  var version = params.tgWebAppVersion || '6.0';
  var inTelegram = Boolean(params.tgWebAppPlatform || params.tgWebAppVersion);

  function atLeast(wanted) {
    var a = String(version).split('.');
    var b = String(wanted).split('.');
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      var x = parseInt(a[i] || '0', 10);
      var y = parseInt(b[i] || '0', 10);
      if (x !== y) return x > y;
    }
    return true;
  }

  function postEvent(type, data) {
    var body = data || {};
    if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
      window.TelegramWebviewProxy.postEvent(type, JSON.stringify(body));
      return true;
    }
    if (window.external && 'notify' in window.external) {
      try {
        window.external.notify(JSON.stringify({ eventType: type, eventData: body }));
        return true;
      } catch (e) {
        /* not Telegram Desktop */
      }
    }
    if (window.parent !== window && inTelegram) {
      window.parent.postMessage(
        JSON.stringify({ eventType: type, eventData: body }),
        'https://web.telegram.org'
      );
      return true;
    }
    return false;
  }

  function emit(name, data) {
    (handlers[name] || []).slice().forEach(function (fn) {
      try {
        fn.call(WebApp, data);
      } catch (e) {
        window.setTimeout(function () {
          throw e;
        });
      }
    });
  }

  function applyTheme(theme) {
    var style = document.documentElement.style;
    Object.keys(theme).forEach(function (key) {
      var value = String(theme[key]);
      if (/^#[0-9a-fA-F]{3,8}$/.test(value)) {
        style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
      }
    });
    WebApp.themeParams = theme;
    WebApp.colorScheme = dark(theme.bg_color) ? 'dark' : 'light';
    document.documentElement.setAttribute('data-scheme', WebApp.colorScheme);
  }

  function dark(color) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color || '');
    if (!m) return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    var rgb = [m[1], m[2], m[3]].map(function (x) {
      return parseInt(x, 16);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 120;
  }

  function receive(type, data) {
    if (type === 'theme_changed' && data && data.theme_params) {
      applyTheme(data.theme_params);
      emit('themeChanged');
    } else if (type === 'back_button_pressed') {
      emit('backButtonClicked');
    } else if (type === 'file_download_requested') {
      emit('fileDownloadRequested', data || {});
    }
  }

  tg.WebView = tg.WebView || {};
  tg.WebView.receiveEvent = receive;
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== 'https://web.telegram.org') return;
    var message = typeof event.data === 'string' ? json(event.data) : event.data || {};
    if (message.eventType) receive(message.eventType, message.eventData);
  });

  var WebApp = {
    initData: initData,
    initDataUnsafe: unsafe,
    version: version,
    platform: params.tgWebAppPlatform || 'unknown',
    themeParams: {},
    colorScheme: 'light',
    isVersionAtLeast: atLeast,
    ready: function () {
      postEvent('web_app_ready');
    },
    expand: function () {
      postEvent('web_app_expand');
    },
    onEvent: function (name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    },
    offEvent: function (name, fn) {
      handlers[name] = (handlers[name] || []).filter(function (f) {
        return f !== fn;
      });
    },
    BackButton: {
      isVisible: false,
      show: function () {
        this.isVisible = true;
        postEvent('web_app_setup_back_button', { is_visible: true });
      },
      hide: function () {
        this.isVisible = false;
        postEvent('web_app_setup_back_button', { is_visible: false });
      },
      onClick: function (fn) {
        WebApp.onEvent('backButtonClicked', fn);
      },
      offClick: function (fn) {
        WebApp.offEvent('backButtonClicked', fn);
      }
    },
    /* Bot API 8.0: Telegram downloads the file itself (a web view cannot save a link). */
    downloadFile: function (request, done) {
      if (!inTelegram || !atLeast('8.0') || !postEvent('web_app_request_file_download', request)) {
        return false;
      }
      if (done) {
        var once = function (data) {
          WebApp.offEvent('fileDownloadRequested', once);
          done(data.status === 'downloading');
        };
        WebApp.onEvent('fileDownloadRequested', once);
      }
      return true;
    }
  };
  tg.WebApp = WebApp;
  applyTheme(json(params.tgWebAppThemeParams));
})();
